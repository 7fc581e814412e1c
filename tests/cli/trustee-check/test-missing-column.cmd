# TEST without a feature of the model: the error names it
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
forest train train.csv -o m.rf --trees 5 --seed 1 >/dev/null
sed 's/^Protocol,/Proto,/' train.csv >test.csv
trustee check m.rf train.csv --test test.csv --samples 40 --iter 5 --stability-iter 2 --threads 1
