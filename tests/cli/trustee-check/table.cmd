# Protocol decides 9 rows in 10, Idle Mean a little: the verdict table of 2 steps with a test
# file, the JSON, and one SVG per step
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
awk -f "$G" -v n=120 -v s=2 >test.csv
forest train train.csv -o m.rf --trees 10 --seed 1 >/dev/null
trustee check m.rf train.csv --test test.csv --steps 2 --samples 40 --iter 5 --stability-iter 2 --seed 7 --threads 1 --json c.json --svg trees
ls trees
cat c.json
