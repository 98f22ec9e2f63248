This is not a program, only prose
