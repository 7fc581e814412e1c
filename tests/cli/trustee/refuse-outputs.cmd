# an output that is an input, or two outputs that are one file: refused before the run (exit 2)
awk 'BEGIN { print "Protocol,Flow Duration,Label"; for (i = 0; i < 60; i++) printf "%d,%d,%s\n", i % 2 ? 17 : 6, (i * 37) % 101, i % 2 ? "youtube" : "vimeo" }' > flows.csv
awk -F, 'NR == 1 { print "Predicted"; next } { print ($1 == 17 ? "youtube" : "vimeo") }' flows.csv > pred.csv
forest train flows.csv -o m.rf --trees 2 --seed 1 >/dev/null 2>&1
cp m.rf m.orig
trustee explain m.rf flows.csv --svg m.rf --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1; echo "exit $?"
trustee explain m.rf flows.csv --json flows.csv --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1; echo "exit $?"
trustee explain flows.csv --predictions pred.csv --dot pred.csv --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1; echo "exit $?"
ln -s flows.csv link.csv
trustee explain m.rf flows.csv --json link.csv --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1; echo "exit $?"
trustee explain m.rf flows.csv --json x.out --svg x.out --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1; echo "exit $?"
trustee explain m.rf flows.csv --json x.out --svg ./x.out --samples 20 --iter 5 --stability-iter 2 --seed 7 -j 1; echo "exit $?"
cmp m.rf m.orig && head -1 flows.csv && head -1 pred.csv && { test -e x.out || echo "no x.out"; }
