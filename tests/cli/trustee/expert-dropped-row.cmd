# rows are matched before --nonfinite: a dropped row drops its (here empty) prediction too
awk 'BEGIN { print "Protocol,Flow Duration,Label"; for (i = 0; i < 60; i++) printf "%d,%d,%s\n", i % 2 ? 17 : 6, (i * 37) % 101, i % 2 ? "youtube" : "vimeo" }' > flows.csv
awk -F, 'NR == 1 { print "Protocol,Predicted"; next } { print $1 "," (NR == 5 ? "" : $1 == 17 ? "youtube" : "vimeo") }' flows.csv > pred.csv
awk 'NR == 5 { print "6,NaN,vimeo"; next } { print }' flows.csv > nan.csv
trustee explain nan.csv --predictions pred.csv --nonfinite drop --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1 | head -1
trustee explain nan.csv --predictions pred.csv --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1
