# damaged model files are clear errors
cp $ROOT/tests/cli/forest/data/*.csv .
forest train train.csv -o m.bin --trees 3 -q >/dev/null
: > empty.bin
forest info empty.bin; echo "exit $?"
head -c 100 m.bin > trunc.bin
forest info trunc.bin; echo "exit $?"
cp m.bin flip.bin
printf "\x55" | dd of=flip.bin bs=1 seek=300 conv=notrunc status=none
forest eval flip.bin test.csv; echo "exit $?"
cp m.bin future.bin
printf "\x09" | dd of=future.bin bs=1 seek=8 conv=notrunc status=none
forest info future.bin; echo "exit $?"
forest info test.csv; echo "exit $?"
forest info nosuch.bin; echo "exit $?"
