from crownest import Sandbox

with Sandbox.create(template="python", ttl_ms=600_000) as sbx:
    sbx.files.write("main.py", "print(sum(range(10)))\n")
    result = sbx.exec("python main.py")
    print(result.stdout.strip(), result.exit_code)
    chunks = []
    sbx.commands.run("for i in 1 2 3; do echo $i; done", on_stdout=chunks.append)
    print("".join(chunks).split())
