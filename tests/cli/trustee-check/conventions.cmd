# the shared command-line convention in check: options before 'check' too, --label-column
# and its alias --label, -j, -o FILE for the table (with --json - on stdout)
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
forest train train.csv -o m.rf --trees 5 --seed 1 -q
T="--steps 1 --samples 40 --iter 5 --stability-iter 2 --seed 7"
trustee check m.rf train.csv $T -j 1 >a.txt
trustee $T -j 1 check m.rf train.csv >b.txt
trustee check m.rf train.csv $T --threads 2 --label-column Label -o c.txt
trustee check --label Label m.rf train.csv $T -j 1 -o d.txt --json - >d.json
cmp a.txt b.txt && cmp a.txt c.txt && cmp a.txt d.txt && head -c 1 d.json && echo " same table wherever the options are, with -o and -j"
trustee check m.rf train.csv $T -o train.csv; echo "exit $?"
trustee check m.rf train.csv $T -o - --json -; echo "exit $?"
# the Trustee options of explain, parsed once (trustee/options.c): the same limits in check
trustee check m.rf train.csv --iter 1000 --stability-iter 1000; echo "exit $?"
trustee check m.rf train.csv --samples 10 --samples-frac 0.5; echo "exit $?"
trustee check m.rf train.csv --train-size 1; echo "exit $?"
