trustee explain model.rf data.csv --json - --svg -
