synth --version > /dev/full
