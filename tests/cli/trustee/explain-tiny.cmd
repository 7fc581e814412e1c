# 60 flows where Protocol decides the class; the explanation is one split
awk 'BEGIN { print "Protocol,Flow Duration,Label"; for (i = 0; i < 60; i++) printf "%d,%d,%s\n", i % 2 ? 17 : 6, (i * 37) % 101, i % 2 ? "youtube" : "vimeo" }' > flows.csv
forest train flows.csv -o m.rf --trees 5 --seed 1 >/dev/null 2>&1
trustee explain m.rf flows.csv --samples 20 --iter 5 --stability-iter 2 --seed 7 --threads 1
trustee explain m.rf flows.csv --samples 20 --iter 5 --stability-iter 2 --seed 7 --threads 3 --json - --dot dot.txt
cat dot.txt
