package org.ccm.delivery.email;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import org.ccm.delivery.spi.DeliveryFailure;
import org.ccm.delivery.spi.ProviderAnswers;
import org.ccm.delivery.spi.ProviderAnswers.Answer;
import org.ccm.delivery.spi.ProviderAnswers.SmtpStage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.jspecify.annotations.Nullable;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailSendException;

/**
 * Reads what the SMTP server answered out of Jakarta Mail's exceptions and classifies it
 * with {@link ProviderAnswers}. Angus reports the reply code and the server's line on
 * {@code SMTPAddressFailedException} (RCPT TO), {@code SMTPSenderFailedException} (MAIL
 * FROM) and {@code SMTPSendFailedException} (after DATA), chained behind a
 * {@code SendFailedException}.
 */
final class SmtpFailures {

	private SmtpFailures() {
	}

	static DeliveryFailure classify(Exception failure) {
		Exception found = answerIn(failure);
		Answer answer;
		String response;
		if (found instanceof SMTPAddressFailedException address) {
			answer = ProviderAnswers.smtp(SmtpStage.RCPT_TO, address.getReturnCode(), address.getMessage());
			response = address.getMessage();
		}
		else if (found instanceof SMTPSenderFailedException sender) {
			answer = ProviderAnswers.smtp(SmtpStage.MAIL_FROM, sender.getReturnCode(), sender.getMessage());
			response = sender.getMessage();
		}
		else if (found instanceof SMTPSendFailedException data) {
			answer = ProviderAnswers.smtp(SmtpStage.DATA, data.getReturnCode(), data.getMessage());
			response = data.getMessage();
		}
		else if (found instanceof AuthenticationFailedException || found instanceof MailAuthenticationException) {
			answer = ProviderAnswers.AUTHENTICATION;
			response = found.getMessage();
		}
		else {
			answer = ProviderAnswers.CONNECTION;
			response = (found != null) ? found.getMessage() : failure.getMessage();
		}
		String said = (response != null) ? ": " + response.strip() : "";
		return DeliveryFailure.of(answer, answer.meaning() + said, failure);
	}

	/**
	 * The exception that carries the server's answer: an address refusal first (it says
	 * most), then a sender or data refusal, then an authentication failure; null when the
	 * server never answered (connection refused, timed out, reset).
	 */
	private static @Nullable Exception answerIn(Exception failure) {
		Exception sender = null;
		Exception data = null;
		Exception authentication = null;
		for (Exception each : chain(failure)) {
			if (each instanceof SMTPAddressFailedException) {
				return each;
			}
			if (each instanceof SMTPSenderFailedException && sender == null) {
				sender = each;
			}
			else if (each instanceof SMTPSendFailedException send && data == null && send.getReturnCode() >= 400) {
				data = each;
			}
			else if ((each instanceof AuthenticationFailedException || each instanceof MailAuthenticationException)
					&& authentication == null) {
				authentication = each;
			}
		}
		return (sender != null) ? sender : (data != null) ? data : authentication;
	}

	private static List<Exception> chain(Exception failure) {
		List<Exception> chain = new ArrayList<>();
		Deque<Throwable> pending = new ArrayDeque<>();
		pending.add(failure);
		while (!pending.isEmpty() && chain.size() < 50) {
			Throwable each = pending.poll();
			if (each instanceof Exception exception && !chain.contains(exception)) {
				chain.add(exception);
				if (each instanceof MessagingException messaging && messaging.getNextException() != null) {
					pending.add(messaging.getNextException());
				}
				if (each instanceof MailSendException send) {
					pending.addAll(List.of(send.getMessageExceptions()));
				}
				if (each.getCause() != null && !(each.getCause() instanceof IOException)) {
					pending.add(each.getCause());
				}
			}
		}
		return chain;
	}

}
