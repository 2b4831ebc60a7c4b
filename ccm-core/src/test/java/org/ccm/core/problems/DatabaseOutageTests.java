package org.ccm.core.problems;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.hibernate.TransactionException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseOutageTests {

	@Test
	void aConnectionThatCannotBeHadOrWasLostIsAnOutage() {
		assertThat(DatabaseOutage.isCause(new RuntimeException(new SQLTransientConnectionException(
				"HikariPool-1 - Connection is not available, request timed out after 3000ms"))))
			.isTrue();
		assertThat(DatabaseOutage.isCause(new SQLException("refused", "08001"))).isTrue();
		assertThat(DatabaseOutage.isCause(new SQLException("terminating connection", "57P01"))).isTrue();
		assertThat(DatabaseOutage.isCause(new CannotCreateTransactionException("no connection"))).isTrue();
		assertThat(DatabaseOutage.isCause(new DataAccessResourceFailureException("I/O error"))).isTrue();
		assertThat(DatabaseOutage
			.isCause(new JpaSystemException(new TransactionException("Unable to rollback against JDBC Connection",
					new SQLException("Connection is closed")))))
			.isTrue();
	}

	@Test
	void otherDatabaseFailuresAreNot() {
		assertThat(DatabaseOutage.isCause(new SQLException("deadlock", "40P01"))).isFalse();
		assertThat(DatabaseOutage.isCause(new PessimisticLockingFailureException("deadlock"))).isFalse();
		assertThat(DatabaseOutage
			.isCause(new DataIntegrityViolationException("duplicate key", new SQLException("duplicate key", "23505"))))
			.isFalse();
		assertThat(DatabaseOutage.isCause(new TransactionSystemException("Could not commit"))).isFalse();
		assertThat(DatabaseOutage.isCause(new IllegalStateException("bucket state"))).isFalse();
	}

}
