from ndalint.cli import run

run()
