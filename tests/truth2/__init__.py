"""Independent ground-truth generators (plate images, weightlifting bar paths).

Written from documented definitions and the biomechanics literature only; nothing
in this package reads or imports the program's own analysis code.
"""
