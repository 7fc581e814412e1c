# the shared command-line convention (common/cli) in trustee: options before or after the
# command, options of another command refused, --label-column with --label as its alias,
# -j/--threads 1..256, the --nonfinite words, -o FILE for the text report
awk 'BEGIN { print "Protocol,Flow Duration,Label"; for (i = 0; i < 60; i++) printf "%d,%d,%s\n", i % 2 ? 17 : 6, (i * 37) % 101, i % 2 ? "youtube" : "vimeo" }' > flows.csv
forest train flows.csv -o m.rf --trees 5 --seed 1 -q
T="--samples 20 --iter 5 --stability-iter 2 --seed 7"
trustee explain m.rf flows.csv $T -j 1 >a.txt
trustee $T explain m.rf flows.csv -j 1 >b.txt
trustee -j 1 --samples 20 explain --iter 5 m.rf --stability-iter 2 flows.csv --seed 7 >c.txt
cmp a.txt b.txt && cmp a.txt c.txt && echo "same explanation wherever the options are"
trustee explain m.rf flows.csv $T --threads 2 --label-column Label >d.txt
trustee explain m.rf flows.csv $T --threads 1 --label Label >e.txt
cmp a.txt d.txt && cmp a.txt e.txt && echo "same explanation with --label-column, --label and any --threads"
trustee explain m.rf flows.csv $T -j 1 -o o.txt && cmp a.txt o.txt && echo "explain -o"
trustee explain m.rf flows.csv $T -j 1 -o o2.txt --json - >j.json && cmp a.txt o2.txt && head -c 1 j.json && echo " explain -o with --json -"
trustee report m.rf flows.csv $T -j 1 >r.txt && trustee report m.rf flows.csv $T -j 1 -o r-o.txt && cmp r.txt r-o.txt && echo "report -o"
trustee explain m.rf flows.csv $T -o flows.csv; echo "exit $?"
trustee explain m.rf flows.csv $T -o - --json -; echo "exit $?"
# usage errors: one template
trustee report m.rf flows.csv --json r.json; echo "exit $?"
trustee report --dot d.dot m.rf flows.csv; echo "exit $?"
trustee explain m.rf flows.csv --holdout 0.2; echo "exit $?"
trustee --steps 2 explain m.rf flows.csv; echo "exit $?"
trustee check m.rf flows.csv --max-depth 3; echo "exit $?"
trustee --exact check m.rf flows.csv; echo "exit $?"
trustee check m.rf flows.csv --dot d.dot; echo "exit $?"
trustee explain m.rf flows.csv -j 0; echo "exit $?"
trustee explain m.rf flows.csv --threads 257; echo "exit $?"
trustee check m.rf flows.csv -j 257; echo "exit $?"
trustee explain m.rf flows.csv --nonfinite keep; echo "exit $?"
trustee check m.rf flows.csv --nonfinite nan; echo "exit $?"
trustee explain m.rf flows.csv --sampels 5; echo "exit $?"
trustee check m.rf flows.csv --stesp 5; echo "exit $?"
trustee explain m.rf flows.csv --iter; echo "exit $?"
trustee check m.rf flows.csv -o; echo "exit $?"
trustee check m.rf flows.csv -Z; echo "exit $?"
ls d.dot r.json 2>/dev/null; ls -a | grep -c tmp
