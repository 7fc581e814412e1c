# how the expert is given: usage errors (exit 2)
awk 'BEGIN { print "Protocol,Flow Duration,Label"; for (i = 0; i < 60; i++) printf "%d,%d,%s\n", i % 2 ? 17 : 6, (i * 37) % 101, i % 2 ? "youtube" : "vimeo" }' > flows.csv
awk -F, 'NR == 1 { print "Predicted"; next } { print ($1 == 17 ? "youtube" : "vimeo") }' flows.csv > pred.csv
forest train flows.csv -o m.rf --trees 2 --seed 1 >/dev/null 2>&1
trustee explain m.rf flows.csv --predictions pred.csv; echo "exit $?"
trustee explain flows.csv --predictions pred.csv --expert-cmd cat; echo "exit $?"
trustee explain flows.csv --predictions-column Label; echo "exit $?"
trustee explain flows.csv --predictions-column Protocol --features Protocol,Label; echo "exit $?"
trustee explain m.rf flows.csv --features Protocol; echo "exit $?"
trustee explain flows.csv --predictions pred.csv --features Protocol --exclude Label; echo "exit $?"
trustee explain - --predictions pred.csv < flows.csv; echo "exit $?"
trustee explain flows.csv --expert-cmd ''; echo "exit $?"
trustee explain --predictions pred.csv; echo "exit $?"
trustee report m.rf; echo "exit $?"
trustee explain flows.csv -j 0 --predictions pred.csv; echo "exit $?"
