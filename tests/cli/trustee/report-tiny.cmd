# trust report on 80 flows: Protocol decides the class, Flow Duration is noise
awk 'BEGIN { print "Protocol,Flow Duration,Label"; for (i = 0; i < 80; i++) printf "%d,%d,%s\n", i % 2 ? 17 : 6, (i * 37) % 101, (i % 2) != (i % 13 == 0) ? "youtube" : "vimeo" }' > flows.csv
forest train flows.csv -o m.rf --trees 5 --seed 1 >/dev/null 2>&1
trustee report m.rf flows.csv --samples 30 --iter 4 --stability-iter 2 --seed 3 --top-k 3
