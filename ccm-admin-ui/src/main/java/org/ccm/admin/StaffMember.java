package org.ccm.admin;

import java.security.Principal;
import java.util.HashSet;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.ccm.templates.Actor;
import org.jspecify.annotations.Nullable;

/**
 * The signed-in staff member and what their roles let them do in the studio. The pages
 * check these before acting; the authoring service enforces the review rules (four eyes,
 * locked blocks) again whatever the page did.
 *
 * @param author may write drafts and submit them (MARKETER, BRAND, ADMIN)
 * @param approver may approve, reject, publish and retire (APPROVER, ADMIN)
 * @param brand may change locked brand and legal blocks (BRAND, ADMIN)
 */
public record StaffMember(String name, boolean author, boolean approver, boolean brand) {

	static StaffMember of(@Nullable Principal principal, HttpServletRequest request) {
		boolean admin = request.isUserInRole("ADMIN");
		boolean brand = admin || request.isUserInRole(Actor.BRAND);
		return new StaffMember((principal != null) ? principal.getName() : "anonymous",
				admin || brand || request.isUserInRole("MARKETER"), admin || request.isUserInRole("APPROVER"), brand);
	}

	/**
	 * The staff member as the authoring service records them: template changes made in
	 * these pages carry the staff member's name, not an API client's.
	 */
	Actor actor() {
		Set<String> roles = new HashSet<>();
		if (this.brand) {
			roles.add(Actor.BRAND);
		}
		if (this.approver) {
			roles.add(Actor.APPROVER);
		}
		return new Actor(this.name, roles);
	}

	StaffMember requireAuthor() {
		if (!this.author) {
			throw new NotAllowedException("Only marketers and the brand team write drafts.");
		}
		return this;
	}

	StaffMember requireApprover() {
		if (!this.approver) {
			throw new NotAllowedException("Only approvers approve, reject, publish and retire versions.");
		}
		return this;
	}

}
