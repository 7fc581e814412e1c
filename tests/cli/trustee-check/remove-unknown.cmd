# a --remove name that is not a feature: usage error with the closest name
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
forest train train.csv -o m.rf --trees 5 --seed 1 >/dev/null
trustee check m.rf train.csv --remove Protocl --samples 40 --iter 5 --stability-iter 2 --threads 1
