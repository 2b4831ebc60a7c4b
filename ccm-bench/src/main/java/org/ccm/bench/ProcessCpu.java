package org.ccm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time used by this JVM, by the PostgreSQL server it started (the embedded server
 * runs detached, found by its port) and by the whole machine, from {@code /proc}: unlike
 * wall-clock rates, CPU per row or per message stays comparable while other work shares
 * the machine, and the three together say where the time of a run went.
 *
 * @param jvmMicros this JVM's user and system time
 * @param postgresMicros the postmaster's and its backends' user and system time, backends
 * and workers that ended included
 * @param machineMicros every core's busy time (all but idle and I/O wait)
 */
public record ProcessCpu(double jvmMicros, double postgresMicros, double machineMicros) {

	/** Clock ticks of 10 ms, as microseconds. */
	private static final double TICK = 10_000.0;

	/** The CPU used so far. */
	public static ProcessCpu now(String postgresPort) {
		double jvm = ticks(ProcessHandle.current().pid());
		// the postmaster's own time, its children's that ended (closed connections,
		// parallel workers, autovacuum: gone from /proc, counted in its cutime and cstime
		// once reaped) and its live children's
		double postgres = ProcessHandle.allProcesses()
			.filter((p) -> p.info().commandLine().orElse("").contains(" -p " + postgresPort + " "))
			.mapToDouble((p) -> ticks(p.pid(), true) + p.descendants().mapToDouble((c) -> ticks(c.pid())).sum())
			.sum();
		return new ProcessCpu(jvm, postgres, machine());
	}

	/** The port in a JDBC URL such as {@code jdbc:postgresql://localhost:5432/ccm}. */
	public static String port(String jdbcUrl) {
		return jdbcUrl.replaceAll(".*:(\\d+)/.*", "$1");
	}

	public ProcessCpu minus(ProcessCpu earlier) {
		return new ProcessCpu(this.jvmMicros - earlier.jvmMicros, this.postgresMicros - earlier.postgresMicros,
				this.machineMicros - earlier.machineMicros);
	}

	/**
	 * CPU of this JVM's threads by kind (digits dropped from their names: the parser
	 * threads, GC workers and compilers are summed), in microseconds.
	 */
	public static Map<String, Double> threads() {
		Map<String, Double> byKind = new TreeMap<>();
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			tasks.forEach((task) -> {
				try {
					String stat = Files.readString(task.resolve("stat"));
					String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
						.replaceAll("[0-9#]+", "")
						.strip();
					byKind.merge(name, busy(stat), Double::sum);
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended meanwhile
				}
			});
		}
		catch (IOException ex) {
			// not Linux
		}
		return byKind;
	}

	/**
	 * The CPU each thread kind used since {@code before} (a {@link #threads()} reading),
	 * per unit of work, as {@link #perUnit} writes it.
	 */
	public static String threadsSince(Map<String, Double> before, long units, double minMillis) {
		Map<String, Double> now = threads();
		before.forEach((name, micros) -> now.merge(name, -micros, Double::sum));
		return perUnit(now, units, minMillis);
	}

	/**
	 * CPU by thread kind (microseconds) per unit of work, largest first, as
	 * {@code "name 1.23, …"} in milliseconds; kinds below {@code minMillis} a unit are
	 * left out.
	 */
	public static String perUnit(Map<String, Double> byThread, long units, double minMillis) {
		return byThread.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() / units / 1e3 >= minMillis)
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.map((entry) -> String.format(Locale.ROOT, "%s %.2f", entry.getKey(), entry.getValue() / units / 1e3))
			.collect(Collectors.joining(", "));
	}

	private static double ticks(long pid) {
		return ticks(pid, false);
	}

	private static double ticks(long pid, boolean withEndedChildren) {
		try {
			return busy(Files.readString(Path.of("/proc/" + pid + "/stat")), withEndedChildren);
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	private static double busy(String stat) {
		return busy(stat, false);
	}

	// utime + stime of a /proc/<pid>/stat line, and cutime + cstime (its reaped
	// children's)
	private static double busy(String stat, boolean withEndedChildren) {
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		if (withEndedChildren) {
			ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
		}
		return ticks * TICK;
	}

	// user, nice, system, irq, softirq and steal of the "cpu" line of /proc/stat
	private static double machine() {
		try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
			String[] fields = lines.findFirst().orElse("cpu").trim().split("\\s+");
			long busy = 0;
			for (int i : new int[] { 1, 2, 3, 6, 7, 8 }) {
				busy += (i < fields.length) ? Long.parseLong(fields[i]) : 0;
			}
			return busy * TICK;
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

}
