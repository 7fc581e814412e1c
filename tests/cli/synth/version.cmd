synth --version
