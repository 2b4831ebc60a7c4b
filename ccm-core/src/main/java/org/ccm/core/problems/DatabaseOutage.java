package org.ccm.core.problems;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Predicate;

import org.hibernate.TransactionException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells whether a failure means the database could not be reached: the one test behind
 * every "try again later" answer (a {@code 503} from the API, the rate limit letting a
 * request through to be answered {@code 503}, a delivery worker waiting instead of
 * failing a message).
 */
public final class DatabaseOutage {

	private DatabaseOutage() {
	}

	/**
	 * Whether the failure or one of its causes says so: no pooled connection in time, a
	 * connection failure (SQL state class {@code 08}) or a server shutting down
	 * ({@code 57P}), Spring's translations of those, or a rollback Hibernate could not
	 * do. The pool closes a connection that broke, so the rollback of the failed
	 * transaction finds it closed ("Connection is closed", without SQL state) and the
	 * first failure is lost; nothing was committed either way.
	 */
	public static boolean isCause(Throwable failure) {
		return anyCause(failure,
				(cause) -> cause instanceof SQLTransientConnectionException
						|| cause instanceof DataAccessResourceFailureException
						|| cause instanceof TransientDataAccessResourceException
						|| cause instanceof CannotCreateTransactionException
						|| (cause instanceof SQLException sql && sql.getSQLState() != null
								&& (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P")))
						|| (cause instanceof TransactionException
								&& String.valueOf(cause.getMessage()).startsWith("Unable to rollback")));
	}

	/**
	 * Whether the failure is the pool's wait for a connection running out while the
	 * database answers: every connection busy (the platform overloaded), not the database
	 * gone. The pool names the last failure to connect as the cause of its timeout; with
	 * none, it had connections and they were all in use.
	 */
	public static boolean isBusy(Throwable failure) {
		return anyCause(failure,
				(cause) -> cause instanceof SQLTransientConnectionException && cause.getCause() == null);
	}

	private static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (test.test(cause)) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
