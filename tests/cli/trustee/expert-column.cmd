# --predictions-column alone: a column of DATA, never a feature (2 features, not 3)
awk 'BEGIN { print "Protocol,Flow Duration,Label"; for (i = 0; i < 60; i++) printf "%d,%d,%s\n", i % 2 ? 17 : 6, (i * 37) % 101, i % 2 ? "youtube" : "vimeo" }' > flows.csv
awk -F, 'NR == 1 { print $0 ",Guess"; next } { print $0 "," ($1 == 17 ? "youtube" : "vimeo") }' flows.csv > data.csv
trustee explain data.csv --predictions-column Guess --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1 --json - | sed -n 2,5p
trustee explain data.csv --predictions-column Guess --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1 --json - | grep -c '"Guess"'
