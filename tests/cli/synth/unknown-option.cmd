synth --bogus-option
