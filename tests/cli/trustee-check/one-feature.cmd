# a model of one feature: nothing to remove
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
forest train train.csv -o m.rf --trees 5 --seed 1 >/dev/null
cut -d, -f1,4 train.csv >one.csv
forest train one.csv -o one.rf --trees 5 --seed 1 >/dev/null
trustee check one.rf one.csv --samples 40 --iter 5 --stability-iter 2 --threads 1
