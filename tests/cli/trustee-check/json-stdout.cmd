# --json - writes the JSON to stdout instead of the table; --remove picks the features
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
forest train train.csv -o m.rf --trees 5 --seed 1 >/dev/null
trustee check m.rf train.csv --remove 'Idle Mean' --json - --samples 40 --iter 5 --stability-iter 2 --threads 1 --holdout 0.5 --seed 2
