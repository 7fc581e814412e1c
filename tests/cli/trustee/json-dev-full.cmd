# a full disk on --json is an error naming the file, exit 1
awk 'BEGIN { print "Protocol,Label"; for (i = 0; i < 40; i++) printf "%d,%s\n", i % 2 ? 17 : 6, i % 2 ? "youtube" : "vimeo" }' > flows.csv
forest train flows.csv -o m.rf --trees 2 --seed 1 >/dev/null 2>&1
trustee explain m.rf flows.csv --samples 10 --iter 2 --stability-iter 2 --json /dev/full > out.txt
echo "exit $?"
head -1 out.txt
