//! A node's own retrieval index, answering `x0t rag query --node N` through the admin API.
//! The embedder and index load on the first query (building the index from the built-in
//! runbooks if the data dir has none) and stay loaded; queries run on blocking threads so
//! they never stall Raft.

use std::sync::Arc;

use crate::engine::rag::{
    open_or_build, query, Embedder, Index, Mode, QueryReport, RagConfig, RagError,
};

struct Loaded {
    embedder: Embedder,
    index: Index,
    built: bool,
}

/// The node side of `rag query --node`.
pub struct RagHost {
    cfg: RagConfig,
    loaded: tokio::sync::OnceCell<Arc<Loaded>>,
}

impl RagHost {
    pub fn new(cfg: RagConfig) -> RagHost {
        RagHost {
            cfg,
            loaded: tokio::sync::OnceCell::new(),
        }
    }

    async fn load(&self) -> Result<(Arc<Loaded>, bool), RagError> {
        let mut first = false;
        let loaded = self
            .loaded
            .get_or_try_init(|| {
                first = true;
                let cfg = self.cfg.clone();
                async move {
                    tokio::task::spawn_blocking(move || {
                        let embedder = Embedder::load_default()?;
                        let (index, built) = open_or_build(&cfg, &embedder, &mut |_| {})?;
                        Ok::<_, RagError>(Arc::new(Loaded {
                            embedder,
                            index,
                            built,
                        }))
                    })
                    .await
                    .map_err(|e| RagError::Search(format!("rag worker failed: {e}")))?
                }
            })
            .await?;
        Ok((loaded.clone(), first && loaded.built))
    }

    /// Runs one query; `builtIndex` is true for the query that built the index.
    pub async fn query(&self, text: String, k: usize, mode: Mode) -> Result<QueryReport, RagError> {
        let (loaded, built) = self.load().await?;
        let mut report = tokio::task::spawn_blocking(move || {
            query(&loaded.index, &loaded.embedder, &text, k, mode)
        })
        .await
        .map_err(|e| RagError::Search(format!("rag worker failed: {e}")))??;
        report.built_index = built;
        Ok(report)
    }
}
