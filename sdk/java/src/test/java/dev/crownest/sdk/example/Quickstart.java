package dev.crownest.sdk.example;

import dev.crownest.sdk.Artifact;
import dev.crownest.sdk.CommandHandle;
import dev.crownest.sdk.CommandResult;
import dev.crownest.sdk.ConflictException;
import dev.crownest.sdk.CreateSandboxOptions;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RunOptions;
import dev.crownest.sdk.Sandbox;
import java.time.Duration;

public class Quickstart {
    public static void main(String[] args) {
        CrowNest client = CrowNest.fromEnv(); // reads CROWNEST_API_URL and CROWNEST_API_KEY
        Sandbox sandbox = client.sandboxes()
                .create(new CreateSandboxOptions().template("python").ttl(Duration.ofMinutes(10)));
        try {
            CommandResult result = sandbox.commands()
                    .run(
                            "python3 -c 'print(6 * 7)' && echo done > out.txt",
                            new RunOptions().onStdout(System.out::print).collect("out.txt"));
            System.out.println(
                    "exit " + result.exitCode() + ", " + result.artifacts().size() + " artifact");
            for (Artifact artifact : sandbox.artifacts().list().data()) {
                System.out.println(artifact.name() + " "
                        + sandbox.artifacts().downloadText(artifact.id()).trim());
            }
            sandbox.files().write("notes/hello.txt", "hello from Java\n");
            System.out.print(sandbox.files().read("notes/hello.txt"));
            CommandHandle job = sandbox.commands().runBackground("sleep 1; echo background done");
            System.out.print(job.waitFor().stdout());
            String snapshotId = sandbox.pause();
            System.out.println("paused at " + snapshotId.substring(0, 4) + "...");
            sandbox = client.sandboxes().resume(snapshotId);
            System.out.print(sandbox.files().read("notes/hello.txt"));
        } finally {
            sandbox.kill();
        }
        try {
            sandbox.files().read("notes/hello.txt");
        } catch (ConflictException e) {
            System.out.println(e.status() + " " + e.code() + " " + e.requestId().startsWith("req_"));
        }
    }
}
