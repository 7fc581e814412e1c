# the shared command-line convention (common/cli): options before or after the command,
# options of another command refused, --label-column with --label as its alias,
# --threads 1..256 (default all cores), the --nonfinite words, -o FILE for every report
cp $ROOT/tests/cli/forest/data/*.csv .
forest train train.csv -o a.rf --trees 3 --seed 4 -q
forest --trees 3 --seed 4 -q train train.csv -o b.rf
forest -q --seed 4 train --trees 3 -o c.rf train.csv
cmp a.rf b.rf && cmp a.rf c.rf && echo "same model wherever the options are"
forest train train.csv -o d.rf --trees 3 --seed 4 -q --label-column Label -j 1
forest train train.csv -o e.rf --trees 3 --seed 4 -q --label Label --threads 2
cmp a.rf d.rf && cmp a.rf e.rf && echo "same model with --label-column, --label and any --threads"
forest eval a.rf test.csv >eval.txt
forest eval a.rf test.csv -o eval-o.txt && cmp eval.txt eval-o.txt && echo "eval -o"
forest info a.rf -o info.txt && forest info a.rf | cmp - info.txt && echo "info -o"
forest importance a.rf -o imp.txt && forest importance a.rf | cmp - imp.txt && echo "importance -o"
forest importance a.rf test.csv -o a.rf; echo "exit $?"
# usage errors: one template
forest eval --linear a.rf test.csv; echo "exit $?"
forest eval a.rf test.csv --trees 5; echo "exit $?"
forest predict a.rf test.csv --json; echo "exit $?"
forest info a.rf --seed 1; echo "exit $?"
forest info a.rf -j 2; echo "exit $?"
forest train train.csv -o x.rf --proba; echo "exit $?"
forest predict a.rf test.csv --label Label; echo "exit $?"
forest train train.csv -o x.rf -j 0; echo "exit $?"
forest train train.csv -o x.rf --threads 257; echo "exit $?"
forest train train.csv -o x.rf --nonfinite keep; echo "exit $?"
forest train train.csv -o x.rf --tress 5; echo "exit $?"
forest train train.csv -o x.rf --frobnicate; echo "exit $?"
forest train train.csv -o x.rf -Z; echo "exit $?"
forest train train.csv --trees; echo "exit $?"
forest train train.csv -o; echo "exit $?"
forest --trees 3 frobnicate; echo "exit $?"
ls x.rf 2>/dev/null; ls -a | grep -c tmp
