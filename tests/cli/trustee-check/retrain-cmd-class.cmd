# a retrain command answering a class TRAIN does not have
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
trustee check train.csv --retrain-cmd 'awk "NR > 1 { print \"twitch\" }" "$TEST"' --samples 40 --iter 5 --stability-iter 2 --threads 1
