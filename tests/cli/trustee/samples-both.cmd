trustee explain model.rf data.csv --samples 100 --samples-frac 0.5
