package org.ccm.delivery.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.DeliveryStatusChanged;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Takes the database away from a worker right after it claimed a delivery: from the
 * moment the claim is committed, every connection that worker's thread asks the pool for
 * is refused for a while, as when PostgreSQL goes down or the network to it breaks. Other
 * threads (the retry consumers) keep their database. Inert until
 * {@link #afterNextClaimFor(UUID, Duration)} arms it.
 */
@TestConfiguration(proxyBeanMethods = false)
public class DatabaseOutage {

	private static final Map<UUID, Duration> armed = new ConcurrentHashMap<>();

	private static final Map<UUID, Duration> armedWhileRecording = new ConcurrentHashMap<>();

	// thread -> when its outage ends (System.nanoTime)
	private static final Map<Thread, Long> down = new ConcurrentHashMap<>();

	private static final Set<Thread> refused = ConcurrentHashMap.newKeySet();

	/**
	 * The next claim of a delivery to this customer is followed by an outage of
	 * {@code length} for the thread that made it.
	 */
	public static void afterNextClaimFor(UUID customerId, Duration length) {
		armed.put(customerId, length);
	}

	/**
	 * The next time a delivery to this customer is recorded as sent (the provider took
	 * it), that write fails and the worker's thread is refused connections for
	 * {@code length}, as when PostgreSQL goes away right after the provider call.
	 */
	public static void whileRecordingSentFor(UUID customerId, Duration length) {
		armedWhileRecording.put(customerId, length);
	}

	/**
	 * Whether some thread was refused a connection since the outage was armed.
	 */
	public static boolean refusedAny() {
		return !refused.isEmpty();
	}

	public static void reset() {
		armed.clear();
		armedWhileRecording.clear();
		down.clear();
		refused.clear();
	}

	@Bean
	static BeanPostProcessor outageDataSource() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof DataSource dataSource && !(bean instanceof OutageDataSource))
						? new OutageDataSource(dataSource) : bean;
			}

		};
	}

	@EventListener
	void claimed(DeliveryStatusChanged change) {
		if (change.status() == DeliveryStatus.SENT) {
			Duration length = armedWhileRecording.remove(change.customerId());
			if (length != null) {
				down.put(Thread.currentThread(), System.nanoTime() + length.toNanos());
				refused.add(Thread.currentThread());
				throw new DataAccessResourceFailureException("Connection to the database lost (outage)",
						new SQLTransientConnectionException("Connection to the database lost (outage)"));
			}
		}
		if (change.status() != DeliveryStatus.SENDING || !TransactionSynchronizationManager.isSynchronizationActive()) {
			return;
		}
		Duration length = armed.remove(change.customerId());
		if (length != null) {
			Thread worker = Thread.currentThread();
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					down.put(worker, System.nanoTime() + length.toNanos());
				}

			});
		}
	}

	static final class OutageDataSource extends DelegatingDataSource {

		OutageDataSource(DataSource target) {
			super(target);
		}

		@Override
		public Connection getConnection() throws SQLException {
			refuseWhileDown();
			return super.getConnection();
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			refuseWhileDown();
			return super.getConnection(username, password);
		}

		private static void refuseWhileDown() throws SQLException {
			Thread current = Thread.currentThread();
			Long until = down.get(current);
			if (until != null) {
				if (System.nanoTime() < until) {
					refused.add(current);
					throw new SQLTransientConnectionException("Connection to the database refused (outage)");
				}
				down.remove(current, until);
			}
		}

	}

}
