package org.ccm.security;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The second step of signing in for staff with a second factor, and each staff member's
 * own account page, where they set one up: a new secret is shown once (as a QR code and
 * as text) and stored only when a code from the app confirms it. A wrong code at sign-in
 * counts like a wrong password.
 */
@Controller
class SecondFactorPages {

	static final String CODE = "/admin/login/code";

	// the secret being set up, until a code confirms it: kept in the session, not stored
	private static final String ENROLMENT = SecondFactorPages.class.getName() + ".enrolment";

	private final SecondFactors factors;

	private final LoginThrottle throttle;

	private final JdbcUserDetailsManager users;

	private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

	SecondFactorPages(SecondFactors factors, LoginThrottle throttle, JdbcUserDetailsManager users) {
		this.factors = factors;
		this.throttle = throttle;
		this.users = users;
	}

	@GetMapping(CODE)
	String codeForm(@Nullable Authentication authentication) {
		return (authentication instanceof PendingSecondFactor) ? "admin/login-code" : "redirect:/admin";
	}

	@PostMapping(CODE)
	String code(@RequestParam(defaultValue = "") String code, @Nullable Authentication authentication,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		if (!(authentication instanceof PendingSecondFactor pending)) {
			return "redirect:/admin";
		}
		String username = pending.getName();
		if (throttle.refuses(username)) {
			return signedOut(request, "locked");
		}
		if (code.isBlank()) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("problem", "Enter the 6-digit code from your authenticator app");
			return "admin/login-code";
		}
		if (!factors.verify(username, code)) {
			if (throttle.failed(username, "wrong second-factor code")) {
				return signedOut(request, "locked");
			}
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("problem", "The code is not right: enter the code your authenticator app shows now");
			return "admin/login-code";
		}
		UserDetails user = users.loadUserByUsername(username);
		if (!user.isEnabled()) {
			return signedOut(request, "error");
		}
		throttle.succeeded(username, "with second factor");
		// a new session id for the signed-in session, as after a password alone
		request.changeSessionId();
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
		SecurityContextHolder.setContext(context);
		contexts.saveContext(context, request, response);
		return "redirect:/admin";
	}

	@GetMapping("/admin/account")
	String account(Principal principal, Model model) {
		model.addAttribute("staff", principal.getName());
		model.addAttribute("enrolled", factors.enrolled(principal.getName()));
		return "admin/account";
	}

	/**
	 * Starts setting up a second factor: a new secret, shown on the answer only.
	 */
	@PostMapping("/admin/account/second-factor/new")
	String start(Principal principal, HttpSession session, Model model) {
		String secret = factors.newSecret();
		session.setAttribute(ENROLMENT, secret);
		return enrolment(principal, secret, model);
	}

	@PostMapping("/admin/account/second-factor")
	String confirm(@RequestParam(defaultValue = "") String code, Principal principal, HttpSession session, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		if (!(session.getAttribute(ENROLMENT) instanceof String secret)) {
			redirect.addFlashAttribute("problem", "Start the set-up again: it was not started in this session.");
			return "redirect:/admin/account";
		}
		if (!factors.enrol(principal.getName(), secret, code)) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("problem", code.isBlank() ? "Enter the 6-digit code from your authenticator app"
					: "The code is not right: enter the code your authenticator app shows now");
			return enrolment(principal, secret, model);
		}
		session.removeAttribute(ENROLMENT);
		redirect.addFlashAttribute("done",
				"Your second factor is set up: from your next sign-in on, you are asked for a code.");
		return "redirect:/admin/account";
	}

	private String enrolment(Principal principal, String secret, Model model) {
		model.addAttribute("staff", principal.getName());
		model.addAttribute("secret", secret);
		model.addAttribute("qrCode", factors.qrCode(principal.getName(), secret));
		return "admin/account-second-factor";
	}

	private static String signedOut(HttpServletRequest request, String reason) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.invalidate();
		}
		SecurityContextHolder.clearContext();
		return "redirect:/admin/login?" + reason;
	}

}
