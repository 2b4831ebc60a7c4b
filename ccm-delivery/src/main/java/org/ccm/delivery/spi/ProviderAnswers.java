package org.ccm.delivery.spi;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import static java.util.Map.entry;
import static org.ccm.delivery.spi.FailureClass.PERMANENT_FOR_CUSTOMER;
import static org.ccm.delivery.spi.FailureClass.PLATFORM_FAULT;
import static org.ccm.delivery.spi.FailureClass.TEMPORARY;

/**
 * The one table of what each provider answer means ({@code docs/delivery-failures.md}
 * explains every row): SMTP reply codes (RFC 5321) refined by enhanced status codes (RFC
 * 3463), and Twilio's error codes and HTTP statuses. Channel senders classify through
 * here and throw {@link DeliveryFailure#of}, so the worker never guesses.
 */
public final class ProviderAnswers {

	/**
	 * One row of the table.
	 *
	 * @param aboutContactPoint whether the address or number itself is refused, so that
	 * it is suppressed
	 * @param meaning what the answer means, for the delivery's failure reason
	 */
	public record Answer(FailureClass failureClass, boolean aboutContactPoint, String meaning) {

	}

	/** Where in the SMTP conversation the server answered. */
	public enum SmtpStage {

		/** {@code MAIL FROM}: the server refuses our sender. */
		MAIL_FROM,
		/** {@code RCPT TO}: the server refuses the recipient. */
		RCPT_TO,
		/**
		 * After {@code DATA}: the server refuses the message (or, there, the recipient).
		 */
		DATA

	}

	private static final Pattern ENHANCED_CODE = Pattern.compile("^\\s*\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

	/** The connection could not be made or broke off: the server may be back later. */
	public static final Answer CONNECTION = temporary("the mail server could not be reached or did not answer in time");

	/** The relay refused our credentials. */
	public static final Answer AUTHENTICATION = fault("the mail server refused our credentials");

	/** No HTTP answer from Twilio (connection refused, timed out, reset). */
	public static final Answer TWILIO_CONNECTION = temporary("Twilio could not be reached or did not answer in time");

	// RFC 3463 enhanced status codes of class 5, by "subject.detail" and by "subject"
	// alone; class 4 is always temporary
	static final Map<String, Answer> ENHANCED = Map.ofEntries(
			entry("1.1", permanent(true, "the mailbox does not exist")),
			entry("1.2", permanent(true, "the recipient's domain does not exist or takes no mail")),
			entry("1.3", permanent(true, "the address is not valid")),
			entry("1.4", permanent(true, "the address is ambiguous")),
			entry("1.6", permanent(true, "the mailbox has moved")),
			entry("1.7", fault("the server refuses our sender address")),
			entry("1.8", fault("the server refuses our sender's domain")),
			entry("1.10", permanent(true, "the recipient's domain takes no mail (null MX)")),
			entry("1", permanent(true, "the address was refused")),
			entry("2.1", permanent(true, "the mailbox is disabled")),
			entry("2.2", permanent(false, "the mailbox is full")),
			entry("2.3", permanent(false, "the message is longer than the mailbox takes")),
			entry("2", permanent(false, "the mailbox refused the message")),
			entry("3.4", permanent(false, "the message is too big for the recipient's system")),
			entry("3", permanent(false, "the recipient's mail system refused the message")),
			entry("4.4", permanent(true, "no route to the recipient's domain")),
			entry("4", permanent(false, "the message could not be routed")),
			entry("5", fault("the server rejected our SMTP commands")),
			entry("6", permanent(false, "the recipient's system refused the content")),
			entry("7.0", permanent(false, "refused by the recipient's policy")),
			entry("7.1", permanent(false, "the recipient's server does not accept this message")),
			entry("7.8", fault("the mail server refused our credentials")),
			entry("7.9", fault("the mail server requires a stronger authentication")),
			entry("7.11", fault("the mail server requires encryption")),
			entry("7.13", fault("our account at the mail server is disabled")),
			entry("7.14", fault("the mail server does not trust our sender")),
			entry("7.26", fault("our domain's authentication (SPF, DKIM, DMARC) failed")),
			entry("7", permanent(false, "refused by the recipient's security policy")));

	// RFC 5321 reply codes, for answers without an enhanced status code
	static final Map<Integer, Answer> REPLY = Map.ofEntries(entry(421, temporary("the service is not available")),
			entry(432, fault("the mail server requires a password change")),
			entry(450, temporary("the mailbox is not available now")),
			entry(451, temporary("the server had a local error")),
			entry(452, temporary("the server is out of storage")),
			entry(454, temporary("the server cannot authenticate or encrypt now")),
			entry(455, temporary("the server cannot take the parameters now")),
			entry(500, fault("the server did not understand our command")),
			entry(501, fault("the server rejected our command's arguments")),
			entry(502, fault("the server does not implement our command")),
			entry(503, fault("the server rejected our command sequence")),
			entry(504, fault("the server does not implement our command's parameter")),
			entry(530, fault("the mail server requires authentication")),
			entry(534, fault("the mail server requires a stronger authentication")),
			entry(535, fault("the mail server refused our credentials")),
			entry(538, fault("the mail server requires encryption")),
			entry(550, permanent(true, "the mailbox is not available")),
			entry(551, permanent(true, "the recipient is not local to the server")),
			entry(552, permanent(false, "the message exceeds the storage allocation")),
			entry(553, permanent(true, "the mailbox name is not allowed")),
			entry(554, permanent(false, "the transaction failed")),
			entry(555, fault("the server does not take our MAIL FROM or RCPT TO parameters")),
			entry(556, permanent(true, "the recipient's domain takes no mail")));

	// Twilio error codes (https://www.twilio.com/docs/api/errors)
	static final Map<Integer, Answer> TWILIO_CODES = Map.ofEntries(
			entry(20003, fault("Twilio refused our credentials")),
			entry(20005, fault("our Twilio account is not active")),
			entry(20404, fault("the Twilio resource does not exist (account SID or messaging service)")),
			entry(20429, temporary("Twilio rate limit")), entry(20500, temporary("Twilio internal error")),
			entry(20503, temporary("Twilio is unavailable")),
			entry(21211, permanent(true, "the phone number is not valid")),
			entry(21212, fault("our 'From' number is not valid")),
			entry(21214, permanent(true, "the phone number cannot be reached")),
			entry(21217, permanent(true, "the phone number does not appear to be valid")),
			entry(21408, fault("our account may not send to this region")),
			entry(21603, fault("no 'From' number is configured")),
			entry(21604, permanent(true, "no phone number to send to")),
			entry(21606, fault("our 'From' number cannot send this message")),
			entry(21608, fault("a trial account may only send to verified numbers")),
			entry(21610, permanent(false, "the recipient replied STOP to our number")),
			entry(21611, temporary("the 'From' number's queue is full")),
			entry(21612, permanent(false, "no route from our number to this phone number")),
			entry(21614, permanent(true, "the phone number is not a mobile number")),
			entry(21617, permanent(false, "the message is too long for an SMS")),
			entry(21703, fault("the messaging service has no sender")),
			entry(30001, temporary("Twilio's queue overflowed")),
			entry(30002, fault("our Twilio account is suspended")),
			entry(30003, temporary("the handset is unreachable")),
			entry(30004, permanent(false, "the message was blocked")),
			entry(30005, permanent(true, "the phone number is unknown to its carrier")),
			entry(30006, permanent(true, "the phone number is a landline or its carrier is unreachable")),
			entry(30007, permanent(false, "the carrier filtered the message")),
			entry(30008, temporary("an unknown error at the carrier")));

	private ProviderAnswers() {
	}

	/**
	 * Classifies an SMTP answer from the server's response line, whose enhanced status
	 * code (if any) refines the reply code.
	 */
	public static Answer smtp(SmtpStage stage, int replyCode, @Nullable String response) {
		String enhanced = null;
		if (response != null) {
			Matcher matcher = ENHANCED_CODE.matcher(response);
			if (matcher.find()) {
				enhanced = matcher.group(1);
			}
		}
		return smtpCodes(stage, replyCode, enhanced);
	}

	/**
	 * Classifies an SMTP reply code and enhanced status code (such as {@code 5.1.1}).
	 */
	public static Answer smtpCodes(SmtpStage stage, int replyCode, @Nullable String enhanced) {
		if (replyCode >= 400 && replyCode < 500) {
			// temporary, except a demand to change our password
			Answer reply = REPLY.get(replyCode);
			return (reply != null) ? reply : temporary("the server asks to try again later");
		}
		if (enhanced != null && enhanced.startsWith("4.")) {
			return temporary("the server asks to try again later");
		}
		if (replyCode == 530 || replyCode == 534 || replyCode == 535 || replyCode == 538) {
			return REPLY.get(replyCode);
		}
		if (stage == SmtpStage.MAIL_FROM) {
			// MAIL FROM only names our sender: a refusal there is ours, unless the size
			// is refused
			return ("5.3.4".equals(enhanced) || replyCode == 552) ? ENHANCED.get("3.4")
					: fault("the server refuses our sender");
		}
		if (stage == SmtpStage.RCPT_TO && replyCode == 501) {
			return ENHANCED.get("1.3");
		}
		if (stage == SmtpStage.RCPT_TO && replyCode == 552 && enhanced == null) {
			// RFC 5321 4.5.3.1.10: 552 at RCPT is taken as 452
			return REPLY.get(452);
		}
		if (enhanced != null && enhanced.startsWith("5.")) {
			String subjectDetail = enhanced.substring(2);
			Answer answer = ENHANCED.get(subjectDetail);
			if (answer == null) {
				answer = ENHANCED.get(subjectDetail.substring(0, subjectDetail.indexOf('.')));
			}
			if (answer != null) {
				return answer;
			}
		}
		Answer reply = REPLY.get(replyCode);
		if (reply != null) {
			return reply;
		}
		return (replyCode >= 500 && replyCode < 600) ? permanent(false, "the server refused the message")
				: temporary("the server gave an unexpected answer");
	}

	/**
	 * Classifies an answer of Twilio's REST API: its error code where it is known, the
	 * HTTP status otherwise.
	 */
	public static Answer twilio(@Nullable Integer httpStatus, @Nullable Integer errorCode) {
		Answer coded = (errorCode != null) ? TWILIO_CODES.get(errorCode) : null;
		if (coded != null) {
			return coded;
		}
		if (httpStatus == null) {
			return TWILIO_CONNECTION;
		}
		if (httpStatus == 401 || httpStatus == 403) {
			return fault("Twilio refused our credentials or account");
		}
		if (httpStatus == 404) {
			return fault("the Twilio account or resource does not exist");
		}
		if (httpStatus == 429) {
			return temporary("Twilio rate limit");
		}
		if (httpStatus >= 500) {
			return temporary("Twilio had a server error");
		}
		if (httpStatus == 400) {
			return permanent(false, "Twilio refused the message");
		}
		return fault("Twilio did not take our request");
	}

	private static Answer temporary(String meaning) {
		return new Answer(TEMPORARY, false, meaning);
	}

	private static Answer permanent(boolean aboutContactPoint, String meaning) {
		return new Answer(PERMANENT_FOR_CUSTOMER, aboutContactPoint, meaning);
	}

	private static Answer fault(String meaning) {
		return new Answer(PLATFORM_FAULT, false, meaning);
	}

}
