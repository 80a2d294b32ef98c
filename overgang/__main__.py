from overgang.cli import main

main()
