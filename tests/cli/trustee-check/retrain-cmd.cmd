# --retrain-cmd running forest itself gives the same numbers as the in-process retraining (hold-out: every model retrained)
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
forest train train.csv -o m.rf --trees 10 --seed 1 >/dev/null
trustee check m.rf train.csv --steps 2 --samples 40 --iter 5 --stability-iter 2 --threads 1 --holdout 0.4 --json a.json >a.txt
trustee check train.csv --retrain-cmd 'forest train "$TRAIN" -o r.rf --trees 10 --seed 1 -q >/dev/null && forest predict r.rf "$TEST"' --steps 2 --samples 40 --iter 5 --stability-iter 2 --threads 1 --holdout 0.4 --json b.json
sed -n '/^step/,$p' a.txt >a.tab
trustee check train.csv --retrain-cmd 'forest train "$TRAIN" -o r.rf --trees 10 --seed 1 -q >/dev/null && forest predict r.rf "$TEST"' --steps 2 --samples 40 --iter 5 --stability-iter 2 --threads 1 --holdout 0.4 | sed -n '/^step/,$p' | cmp - a.tab && echo same table as in process
grep -v '"model"\|"retrain' a.json >a.j; grep -v '"model"\|"retrain' b.json | cmp - a.j && echo same JSON but the model lines
