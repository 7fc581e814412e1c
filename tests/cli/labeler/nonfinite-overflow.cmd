# --nonfinite drop: 1e999 and -1E+400 overflow to infinities and are dropped as
# pandas drops them; 1e-999 (0) and 1.5E7 are finite and kept
printf 'A,B\n1,1e999\n2,-1E+400\n3,1e-999\n4,1.5E7\n5,NaN\n6,12\n' > in.csv
labeler in.csv --nonfinite drop
labeler in.csv --match 'B > 1e308' --file-label big --default small --columns A,Label
