# absurd amounts of work or memory are refused up front, with the bound (exit 2)
trustee explain m.rf data.csv --iter 100000000; echo "exit $?"
trustee explain m.rf data.csv --iter 1073741824 --stability-iter 1073741824; echo "exit $?"
awk 'BEGIN { print "Protocol,Flow Duration,Label"; for (i = 0; i < 60000; i++) printf "%d,%d,%s\n", i % 2 ? 17 : 6, (i * 37) % 101, i % 2 ? "youtube" : "vimeo" }' > flows.csv
awk -F, 'NR == 1 { print "Predicted"; next } { print $3 }' flows.csv > pred.csv
trustee explain flows.csv --predictions pred.csv --iter 20000 --stability-iter 5 --samples-frac 1; echo "exit $?"
