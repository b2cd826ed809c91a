package dev.roadsynth.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options that process {@code j} of {@code generate --processes} gets from the JVM that starts it: the same
 * (-D switches, -Xmx, the collector), but those that would clash when several JVMs use them at once.
 *
 * <ul>
 *   <li>A debugger agent ({@code -agentlib:jdwp=...}, {@code -Xrunjdwp:...}) is left out: each process would listen
 *       on the same address, and all but the first would exit at their start. The starting JVM keeps it.</li>
 *   <li>So is the JMX agent's port ({@code -Dcom.sun.management.jmxremote.port=N}, {@code ...rmi.port=N}, or a
 *       {@code -Dcom.sun.management.config.file=F} that names one), for the same reason: the starting JVM has bound
 *       it already, and every process would exit at its start. The processes stay attachable locally.</li>
 *   <li>A file named by a flight recording ({@code -XX:StartFlightRecording...filename=F}) or by unified logging
 *       ({@code -Xlog:what:file=F}, or {@code -Xlog:what:F}) gets the process's number before its extension ({@code rec.jfr} becomes
 *       {@code rec-process1.jfr}), where several JVMs would otherwise write one file and keep one JVM's; so does
 *       a heap dump's or a crash report's file ({@code -XX:HeapDumpPath=F}, {@code -XX:ErrorFile=F}), of which a JVM
 *       writes none where one is there, the diagnostic log's ({@code -XX:LogFile=F}) and the old GC log's
 *       ({@code -Xloggc:F}). A name holding {@code %p} (the JVM's process id) is distinct already and
 *       stays, as does a folder.</li>
 * </ul>
 */
final class ProcessJvmOptions {
    /** A flight recording's file among its settings. */
    private static final Pattern FILE = Pattern.compile("(?<=^|[=:,])filename=([^,:]+)");

    /**
     * Options whose value is one file: a heap dump's, a crash report's, the diagnostic log's ({@code -XX:LogFile},
     * with {@code -XX:+LogCompilation} or {@code -XX:+LogVMOutput}) and the old GC log's ({@code -Xloggc}, which Java
     * 17 still takes for {@code -Xlog:gc:F}).
     */
    private static final List<String> FILE_OPTIONS = List.of("-XX:HeapDumpPath=", "-XX:ErrorFile=", "-XX:LogFile=",
            "-Xloggc:");

    /** Unified logging's option. */
    private static final String LOG = "-Xlog:";

    /**
     * The environment variables whose options a JVM counts among its own input arguments (the JVM reads
     * JAVA_TOOL_OPTIONS and _JAVA_OPTIONS, the launcher JDK_JAVA_OPTIONS). The processes get those options on their
     * command lines, made theirs here, so they start without these: inherited, a debugger agent named there would
     * still make every process but one exit, a Java agent (a profiler's, a monitoring vendor's) would load twice, and
     * a log file would be every process's.
     */
    static final java.util.Set<String> VARIABLES = java.util.Set.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
            "JDK_JAVA_OPTIONS");

    /** System properties whose value is a port the JVM's JMX agent listens on. */
    private static final List<String> JMX_PORTS = List.of("com.sun.management.jmxremote.port",
            "com.sun.management.jmxremote.rmi.port");

    /** The system property naming a file of the JMX agent's settings (management.properties), which may hold a port. */
    private static final String JMX_CONFIG = "-Dcom.sun.management.config.file=";

    /** The options for process {@code process} and, once for the run, what was left out and why. */
    record ForProcess(List<String> options, List<String> notes) {
    }

    private ProcessJvmOptions() {
    }

    static ForProcess of(List<String> options, int process) {
        List<String> kept = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String option : options) {
            if (option.startsWith("-agentlib:jdwp") || option.startsWith("-Xrunjdwp")) {
                notes.add("the processes run without this JVM's debugger agent (" + option + "): each would listen"
                        + " on its address; this process keeps it");
            } else if (namesJmxPort(option)) {
                notes.add("the processes run without this JVM's JMX port (" + option + "): each would listen on it,"
                        + " and all would exit at their start; this process keeps it, and theirs are attachable"
                        + " locally (jcmd, jconsole)");
            } else if (option.startsWith("-XX:StartFlightRecording")) {
                kept.add(ownRecordingFiles(option, process));
            } else if (option.startsWith(LOG)) {
                kept.add(ownLogFile(option, process));
            } else if (fileOption(option) != null) {
                String prefix = fileOption(option);
                kept.add(prefix + own(option.substring(prefix.length()), process));
            } else {
                kept.add(option);
            }
        }
        return new ForProcess(List.copyOf(kept), List.copyOf(notes));
    }

    /**
     * Whether {@code option} gives the JMX agent a port to listen on: as a system property, or in the settings file
     * it names (read here; one that cannot be read stays, for the JVM to say so).
     */
    static boolean namesJmxPort(String option) {
        for (String property : JMX_PORTS) {
            if (option.startsWith("-D" + property + "=")) {
                return true;
            }
        }
        if (!option.startsWith(JMX_CONFIG)) {
            return false;
        }
        java.util.Properties settings = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of(option.substring(JMX_CONFIG.length())))) {
            settings.load(in);
        } catch (java.io.IOException | IllegalArgumentException e) { // and a name no path can be
            return false;
        }
        return JMX_PORTS.stream().anyMatch(settings::containsKey);
    }

    /** The prefix of {@link #FILE_OPTIONS} that {@code option} starts with, or null. */
    private static String fileOption(String option) {
        for (String prefix : FILE_OPTIONS) {
            if (option.startsWith(prefix)) {
                return prefix;
            }
        }
        return null;
    }

    /**
     * A unified-logging option ({@code -Xlog:what:output:decorators:output-options}) with its output made process
     * {@code process}'s own where it is a file: {@code file=F}, or {@code F} alone, which the JVM takes as a file too
     * (anything but {@code stdout}, {@code stderr} or nothing).
     */
    static String ownLogFile(String option, int process) {
        String[] parts = option.substring(LOG.length()).split(":", 3); // what, output, decorators and the rest
        if (parts.length < 2) {
            return option;
        }
        String output = parts[1];
        String prefix = output.startsWith("file=") ? "file=" : "";
        String file = output.substring(prefix.length());
        if (file.isEmpty() || output.equals("stdout") || output.equals("stderr")) {
            return option;
        }
        parts[1] = prefix + own(file, process);
        return LOG + String.join(":", parts);
    }

    /** A flight recording's option with each file it names made process {@code process}'s own. */
    private static String ownRecordingFiles(String option, int process) {
        Matcher m = FILE.matcher(option);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement("filename=" + own(m.group(1), process)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * File {@code name} made process {@code process}'s own: as it is where it holds {@code %p} (the JVM's process id)
     * or names a folder (in which the JVM names its files itself, by process id), else {@link #numbered}.
     */
    private static String own(String name, int process) {
        boolean distinct = name.contains("%p") || name.endsWith("/") || Files.isDirectory(Path.of(name));
        return distinct ? name : numbered(name, process);
    }

    /** {@code name} with {@code -processN} before its extension (the last dot after the last slash), or at its end. */
    static String numbered(String name, int process) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        String suffix = "-process" + process;
        return dot > slash + 1 ? name.substring(0, dot) + suffix + name.substring(dot) : name + suffix;
    }
}
