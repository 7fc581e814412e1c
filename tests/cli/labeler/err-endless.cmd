# a source that never ends or has no line break is refused at 64 MB, naming
# the file and line; nothing is written
labeler /dev/zero -o out.csv
echo "exit $?"; ls
printf 'a,b\n1,2\n' > ok.csv
{ cat ok.csv; printf '"x'; head -c 70000000 /dev/zero; } > quote.csv
labeler ok.csv quote.csv -o out.csv
echo "exit $?"; ls
# the same from a pipe that never ends: it stops reading
{ cat ok.csv; printf '"x\n'; cat /dev/zero; } | labeler - --columns b
echo "exit $?"
