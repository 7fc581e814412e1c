awk 'BEGIN { print "Protocol,Label"; for (i = 0; i < 30; i++) printf "%d,%s\n", i % 2 ? 17 : 6, i % 2 ? "youtube" : "vimeo" }' > flows.csv
forest train flows.csv -o m.rf --trees 2 --seed 1 >/dev/null 2>&1
trustee explain m.rf flows.csv
