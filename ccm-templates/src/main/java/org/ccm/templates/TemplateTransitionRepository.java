package org.ccm.templates;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The recorded transitions of template versions.
 */
interface TemplateTransitionRepository extends JpaRepository<TemplateTransitionEntity, Long> {

	List<TemplateTransitionEntity> findByTemplateKeyAndNumberOrderByOccurredAtAscIdAsc(String templateKey, int number);

}
