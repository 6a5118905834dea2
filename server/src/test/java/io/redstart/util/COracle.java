package io.redstart.util;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * tools/c/numbers_oracle.c, compiled with gcc into this module's target directory on first use,
 * and asked for reference values (its {@code eval} and {@code gen} modes). Tests that use it call
 * {@link #get()}, which skips them when gcc is missing (see {@link External}).
 */
final class COracle {
  private static final String SOURCE = "tools/c/numbers_oracle.c";
  private static Path binary;

  private final Path exe;

  private COracle(Path exe) {
    this.exe = exe;
  }

  /** The repository root: the nearest directory above the working directory holding the source. */
  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(SOURCE))) return p;
    }
    throw new IllegalStateException(SOURCE + " not found above " + Path.of("").toAbsolutePath());
  }

  static synchronized COracle get() {
    if (binary == null) {
      External.require(External.runs("gcc", "--version"), "gcc is not installed");
      Path root = repositoryRoot();
      Path out = Path.of("target", "c-oracle", "numbers_oracle").toAbsolutePath();
      try {
        Files.createDirectories(out.getParent());
        Process p =
            new ProcessBuilder(
                    "gcc",
                    "-O1",
                    "-std=gnu11",
                    "-o",
                    out.toString(),
                    root.resolve(SOURCE).toString(),
                    "-lm")
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException("gcc failed:\n" + log);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      binary = out;
    }
    return new COracle(binary);
  }

  /** The output of {@code gen table}, a golden table as the C library would write it today. */
  String generate(String table) {
    return new String(run(List.of("gen", table), ""), StandardCharsets.US_ASCII);
  }

  /** Answers to requests (tab-separated, escaped fields), one row of fields per request. */
  List<String[]> eval(List<String> requests) {
    String input = String.join("\n", requests) + "\n";
    String out = new String(run(List.of("eval"), input), StandardCharsets.US_ASCII);
    List<String[]> rows = new ArrayList<>(requests.size());
    for (String line : out.split("\n", -1)) {
      if (!line.isEmpty()) rows.add(line.split("\t", -1));
    }
    if (rows.size() != requests.size()) {
      throw new IllegalStateException(rows.size() + " answers to " + requests.size() + " requests");
    }
    return rows;
  }

  private byte[] run(List<String> args, String stdin) {
    List<String> cmd = new ArrayList<>();
    cmd.add(exe.toString());
    cmd.addAll(args);
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try (BufferedWriter w =
                    new BufferedWriter(
                        new OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII))) {
                  w.write(stdin);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      byte[] out = p.getInputStream().readAllBytes();
      writer.join();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("oracle failed: " + cmd);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
