import { createRouter, createWebHashHistory } from 'vue-router'
import RoundsPage from './pages/RoundsPage.vue'
import RoundPage from './pages/RoundPage.vue'
import ScoringPage from './pages/ScoringPage.vue'
import ConsolidationPage from './pages/ConsolidationPage.vue'
import RubricLibraryPage from './pages/RubricLibraryPage.vue'
import RestorePage from './pages/RestorePage.vue'

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', component: RoundsPage },
    { path: '/rubrics', component: RubricLibraryPage },
    { path: '/restore', component: RestorePage },
    { path: '/round/:roundId', component: RoundPage, props: (r) => ({ roundId: Number(r.params.roundId), expertId: r.query.expert ? Number(r.query.expert) : undefined }) },
    { path: '/round/:roundId/consolidation', component: ConsolidationPage, props: (r) => ({ roundId: Number(r.params.roundId) }) },
    {
      path: '/round/:roundId/expert/:expertId/application/:applicationId',
      component: ScoringPage,
      props: (r) => ({ roundId: Number(r.params.roundId), expertId: Number(r.params.expertId), applicationId: Number(r.params.applicationId) }),
    },
  ],
})
