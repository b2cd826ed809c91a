package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessJvmOptionsTest {
    @Test
    void optionsThatWouldNotClashPassAsTheyAre() {
        List<String> jvm = List.of("-Xmx2g", "-Droadsynth.glYield=nothing", "-XX:+UseG1GC", "--enable-native-access=ALL-UNNAMED",
                "-Xlog:gc", "-XX:StartFlightRecording");
        ProcessJvmOptions.ForProcess p = ProcessJvmOptions.of(jvm, 1);
        assertThat(p.options()).isEqualTo(jvm);
        assertThat(p.notes()).isEmpty();
    }

    @Test
    void aDebuggerAgentIsLeftOutAndSaid() {
        String agent = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=5005";
        ProcessJvmOptions.ForProcess p = ProcessJvmOptions.of(List.of("-Xmx1g", agent, "-Xrunjdwp:server=y"), 0);
        assertThat(p.options()).containsExactly("-Xmx1g");
        assertThat(p.notes()).hasSize(2).first().asString().contains(agent);
    }

    @Test
    void theJmxAgentsPortIsLeftOutAndSaidWhereverItIsGiven(@TempDir Path dir) throws Exception {
        Path withPort = dir.resolve("management.properties");
        java.nio.file.Files.writeString(withPort, "com.sun.management.jmxremote.port = 9010\n");
        Path without = dir.resolve("local.properties");
        java.nio.file.Files.writeString(without, "com.sun.management.jmxremote.ssl=false\n");
        List<String> jvm = List.of("-Dcom.sun.management.jmxremote", "-Dcom.sun.management.jmxremote.port=9010",
                "-Dcom.sun.management.jmxremote.rmi.port=9011", "-Dcom.sun.management.jmxremote.ssl=false",
                "-Dcom.sun.management.config.file=" + withPort, "-Dcom.sun.management.config.file=" + without,
                "-Dcom.sun.management.config.file=" + dir.resolve("missing"));
        ProcessJvmOptions.ForProcess p = ProcessJvmOptions.of(jvm, 1);
        assertThat(p.options()).containsExactly("-Dcom.sun.management.jmxremote",
                "-Dcom.sun.management.jmxremote.ssl=false", "-Dcom.sun.management.config.file=" + without,
                "-Dcom.sun.management.config.file=" + dir.resolve("missing")); // the JVM says what is wrong
        assertThat(p.notes()).hasSize(3).allSatisfy(n -> assertThat(n).contains("without this JVM's JMX port"));
        assertThat(p.notes().get(2)).contains(withPort.toString());
    }

    @Test
    void filesOfRecordingsAndLogsAreEachProcesssOwn(@TempDir Path dir) {
        List<String> jvm = List.of("-XX:StartFlightRecording=filename=/tmp/rec.jfr,settings=profile",
                "-XX:StartFlightRecording:settings=default,filename=run",
                "-Xlog:gc*:file=logs/gc.log:time,uptime:filecount=5,filesize=10m",
                "-Xlog:jit+compilation=debug:file=jit-%p.log",
                "-XX:StartFlightRecording=filename=" + dir + ",name=x");
        assertThat(ProcessJvmOptions.of(jvm, 2).options()).containsExactly(
                "-XX:StartFlightRecording=filename=/tmp/rec-process2.jfr,settings=profile",
                "-XX:StartFlightRecording:settings=default,filename=run-process2",
                "-Xlog:gc*:file=logs/gc-process2.log:time,uptime:filecount=5,filesize=10m",
                "-Xlog:jit+compilation=debug:file=jit-%p.log", // distinct already
                "-XX:StartFlightRecording=filename=" + dir + ",name=x"); // a folder: JFR names its files
    }

    /**
     * A log's output named without {@code file=} is a file to the JVM too ({@code java -Xlog:gc:gc.log} writes
     * gc.log); stdout, stderr and an empty output (stdout) are not files.
     */
    @Test
    void aLogFileNamedWithoutItsPrefixIsEachProcesssOwnToo() {
        List<String> jvm = List.of("-Xlog:gc:gc.log", "-Xlog:gc*=info:/var/log/run/gc.txt:time,uptime:filecount=3",
                "-Xlog:gc:stdout", "-Xlog:gc:stderr:time", "-Xlog:gc::uptime", "-Xlog:disable", "-Xlog:gc=debug");
        assertThat(ProcessJvmOptions.of(jvm, 1).options()).containsExactly("-Xlog:gc:gc-process1.log",
                "-Xlog:gc*=info:/var/log/run/gc-process1.txt:time,uptime:filecount=3",
                "-Xlog:gc:stdout", "-Xlog:gc:stderr:time", "-Xlog:gc::uptime", "-Xlog:disable", "-Xlog:gc=debug");
    }

    @Test
    void heapDumpsCrashReportsAndOtherLogsAreEachProcesssOwn(@TempDir Path dir) {
        List<String> jvm = List.of("-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=/tmp/roadsynth.hprof",
                "-XX:HeapDumpPath=" + dir, "-XX:ErrorFile=/var/log/hs_err.log", "-XX:ErrorFile=/tmp/hs_err_%p.log",
                "-XX:LogFile=jit.xml", "-Xloggc:gc.log");
        assertThat(ProcessJvmOptions.of(jvm, 1).options()).containsExactly("-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=/tmp/roadsynth-process1.hprof", "-XX:HeapDumpPath=" + dir,
                "-XX:ErrorFile=/var/log/hs_err-process1.log", "-XX:ErrorFile=/tmp/hs_err_%p.log",
                "-XX:LogFile=jit-process1.xml", "-Xloggc:gc-process1.log");
    }

    @Test
    void theNumberGoesBeforeTheExtension() {
        assertThat(ProcessJvmOptions.numbered("a/b.c/rec.jfr", 0)).isEqualTo("a/b.c/rec-process0.jfr");
        assertThat(ProcessJvmOptions.numbered("a/b.c/rec", 3)).isEqualTo("a/b.c/rec-process3");
        assertThat(ProcessJvmOptions.numbered(".hidden", 1)).isEqualTo(".hidden-process1");
    }
}
