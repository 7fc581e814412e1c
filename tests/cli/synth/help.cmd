# the whole help as printed: no printf escape left in it (a literal '%%' was one)
synth --help
