# an output that is an input of the run is refused before any work (exit 2),
# by device and inode (another name, a hard link, a symbolic link), and the input is kept
cp $ROOT/tests/cli/forest/data/*.csv .
forest train train.csv -o m.rf --trees 2 --seed 1 -q
cp train.csv keep.csv && cp m.rf keep.rf
forest train train.csv -o train.csv --trees 2 -q; echo "exit $?"
forest train train.csv -o ./train.csv --trees 2 -q; echo "exit $?"
ln train.csv hard.csv && ln -s train.csv soft.csv
forest train train.csv -o hard.csv --trees 2 -q; echo "exit $?"
forest train train.csv -o soft.csv --trees 2 -q; echo "exit $?"
forest predict m.rf test.csv -o m.rf; echo "exit $?"
forest predict m.rf test.csv -o test.csv; echo "exit $?"
cmp train.csv keep.csv && cmp m.rf keep.rf && echo "inputs unchanged"
ls -a | grep -c tmp
