awk 'BEGIN { print "Protocol,Flow Duration,Label"; for (i = 0; i < 60; i++) printf "%d,%d,%s\n", i % 2 ? 17 : 6, (i * 37) % 101, i % 2 ? "youtube" : "vimeo" }' > flows.csv
awk -F, 'NR == 1 { print "Predicted"; next } { print ($1 == 17 ? "youtube" : "vimeo") }' flows.csv > pred.csv
trustee report flows.csv --predictions pred.csv --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1
