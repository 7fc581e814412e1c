# --holdout belongs to checks without --test
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
forest train train.csv -o m.rf --trees 5 --seed 1 >/dev/null
trustee check m.rf train.csv --test train.csv --holdout 0.2 --samples 40 --iter 5 --stability-iter 2 --threads 1
