# time windows on Timestamp in both layouts: CICFlowMeter's 12-hour text in the
# zone flowmeter ran in (--tz / timezone:), the fork's ISO text always UTC;
# literals are in --tz (default UTC)
printf 'Flow ID,Timestamp,Label\nf1,07/07/2017 01:54:59 PM,x\nf2,07/07/2017 01:55:00 PM,x\nf3,07/07/2017 02:34:59 PM,x\nf4,07/07/2017 02:35:00 PM,x\nf5,07/07/2017 12:10:00 AM,x\nf6,07/07/2017 12:10:00 PM,x\nf7,bad,x\n' > cic.csv
printf 'Flow ID,Timestamp,Label\nf1,2017-07-07 16:54:59.999,x\nf2,2017-07-07 16:55:00,x\nf3,2017-07-07 17:34:59.5,x\nf4,2017-07-07 17:35:00.000001,x\nf5,2017-07-07 03:10:00,x\n' > fixed.csv
labeler cic.csv --match "time in ['2017-07-07 13:55', '2017-07-07 14:35')" --file-label attack --default benign --columns 'Flow ID,Label' | paste -sd' '
labeler cic.csv --match "Timestamp >= time '2017-07-07 13:55:00' and Timestamp <= time '07/07/2017 02:35:00 PM'" --file-label attack --default benign --columns 'Flow ID,Label' | paste -sd' '
labeler cic.csv --match "time in ('2017-07-07 00:10', '2017-07-07 12:10']" --file-label a --default b --columns 'Flow ID,Label' | paste -sd' '
# the fork's UTC cells against a schedule in Halifax time (UTC-3 in July), from a recipe
cat > sched.yaml <<'Y'
sources: [fixed.csv]
timezone: America/Halifax
rules:
  - {when: "time in ['2017-07-07 13:55', '2017-07-07 14:35')", label: attack}
  - {when: "Timestamp < time '2017-07-07 00:30'", label: night}
default: benign
columns: [Flow ID, Label]
Y
labeler sched.yaml | paste -sd' '
labeler fixed.csv --match "time in ['2017-07-07 16:55', '2017-07-07 17:35')" --file-label attack --default benign --columns 'Flow ID,Label' | paste -sd' '
labeler fixed.csv --tz -03:00 --match "time in ['2017-07-07 13:55', '2017-07-07 14:35')" --file-label attack --default benign --columns 'Flow ID,Label' | paste -sd' '
# errors
labeler cic.csv --tz Mars/Olympus; echo "exit $?"
printf 'sources: [cic.csv]\ntimezone: CEST\n' > badtz.yaml
labeler badtz.yaml; echo "exit $?"
labeler cic.csv --match "time '2017-13-07 10:00' < Timestamp"
labeler cic.csv --match "time in ['2017-07-07 10:00']"
labeler cic.csv --match "time '2017-07-07' + 1 > 0"
labeler cic.csv --match "Timestamp > time '2017-07-07' and \`Flow ID\` == time '2017-07-07'" --file-label y --columns Label | paste -sd' '
labeler cic.csv --match "Label == time '2017-07-07'" --file-label y --columns Label | head -2 | paste -sd' '
labeler cic.csv --match "time 'x' == 5"
# impossible dates are bad times, not the next month: 30 February, 29 February
# of a common year (1900 too), 31 April in either layout, a leap second
for t in '2017-02-30 10:00' '2017-02-29' '1900-02-29' '31/04/2017 01:00:00 PM' '2017-07-07 13:55:60'; do
	labeler cic.csv --match "Timestamp > time '$t'" 2>&1 >/dev/null | cut -d'(' -f1
done
printf 'Timestamp\n2016-02-28 23:59:59\n2016-02-29 12:00:00\n2016-03-01 00:00:00\n' > leap.csv
labeler leap.csv --match "time in ['2016-02-29', '2016-03-01')" --file-label leap --default other --columns Label | paste -sd' '
cut -d, -f1,3 cic.csv > nots.csv
labeler nots.csv --match "time in ['2017-07-07 10:00', '2017-07-07 11:00']"
