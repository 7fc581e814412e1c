# --svg DIR's step files are outputs like -o and --json: a clash is refused
# before any work (exit 2), nothing is written, and a DIR made by the run is
# removed again
G=$ROOT/tests/cli/trustee-check/gen.awk
awk -f "$G" -v n=120 -v s=1 >train.csv
forest train train.csv -o m.rf --trees 5 --seed 1 >/dev/null
opts='--steps 1 --samples 40 --iter 5 --stability-iter 2 --threads 1'
# the folder does not exist yet: --json would be its baseline SVG
trustee check m.rf train.csv --svg f --json f/step0.svg $opts; echo "exit $?"
ls -d f 2>/dev/null || echo "no f"
# -o naming a step file of an existing folder
mkdir g
trustee check m.rf train.csv --svg g -o g/step1.svg $opts; echo "exit $?"
ls -A g; echo "g: end"
# a step file would be an input (the training data)
mkdir d && cp train.csv d/step1.svg
trustee check m.rf d/step1.svg --svg d $opts; echo "exit $?"
ls -A d; cmp d/step1.svg train.csv && echo "d/step1.svg intact"
