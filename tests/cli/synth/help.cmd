synth --help > out.txt
head -1 out.txt
