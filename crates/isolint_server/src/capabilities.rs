//! The `initialize` handshake: what the client can do (the few capabilities the server
//! adapts to) and what the server offers.

use lsp_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    HoverProviderCapability, MarkupKind, OneOf, SaveOptions, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, WorkspaceFoldersServerCapabilities, WorkspaceServerCapabilities,
};

use crate::position::Encoding;

/// What the server adapts to in the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "each is one capability the client announced, independent of the others"
)]
pub(crate) struct Client {
    /// How columns are counted.
    pub(crate) encoding: Encoding,
    /// Whether workspace edits may be versioned `documentChanges` (an edit computed for an
    /// older text is then refused by the client rather than applied in the wrong place).
    pub(crate) document_changes: bool,
    /// Whether code actions may be sent disabled, with the reason why.
    pub(crate) disabled_actions: bool,
    /// Whether hovers may be Markdown.
    pub(crate) markdown_hover: bool,
    /// Whether the server may ask to be told of changed files (`client/registerCapability`
    /// for `workspace/didChangeWatchedFiles`).
    pub(crate) watches_files: bool,
}

impl Client {
    /// The client's abilities, from its `initialize` capabilities.
    pub(crate) fn from_capabilities(capabilities: &ClientCapabilities) -> Self {
        let text = capabilities.text_document.as_ref();
        let workspace = capabilities.workspace.as_ref();
        Self {
            encoding: Encoding::negotiate(
                capabilities
                    .general
                    .as_ref()
                    .and_then(|g| g.position_encodings.as_deref()),
            ),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            disabled_actions: text
                .and_then(|t| t.code_action.as_ref())
                .and_then(|c| c.disabled_support)
                .unwrap_or(false),
            markdown_hover: text
                .and_then(|t| t.hover.as_ref())
                .and_then(|h| h.content_format.as_ref())
                .is_some_and(|formats| formats.contains(&MarkupKind::Markdown)),
            watches_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
        }
    }

    /// What the server offers this client.
    pub(crate) fn server_capabilities(self) -> ServerCapabilities {
        ServerCapabilities {
            position_encoding: Some(self.encoding.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::FULL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            workspace: Some(WorkspaceServerCapabilities {
                workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                    supported: Some(true),
                    change_notifications: Some(OneOf::Left(true)),
                }),
                file_operations: None,
            }),
            ..ServerCapabilities::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_client_gets_utf16_and_plain_edits() {
        let client = Client::from_capabilities(&ClientCapabilities::default());
        assert_eq!(client.encoding, Encoding::Utf16);
        assert!(!client.document_changes && !client.disabled_actions);
        assert!(!client.markdown_hover && !client.watches_files);
        let offered = client.server_capabilities();
        assert_eq!(
            offered.position_encoding,
            Some(lsp_types::PositionEncodingKind::UTF16)
        );
    }

    #[test]
    fn a_capable_client_is_used_fully() {
        let capabilities: ClientCapabilities = serde_json::from_value(serde_json::json!({
            "general": { "positionEncodings": ["utf-8", "utf-16"] },
            "workspace": {
                "workspaceEdit": { "documentChanges": true },
                "didChangeWatchedFiles": { "dynamicRegistration": true }
            },
            "textDocument": {
                "codeAction": { "disabledSupport": true },
                "hover": { "contentFormat": ["markdown", "plaintext"] }
            }
        }))
        .unwrap();
        let client = Client::from_capabilities(&capabilities);
        assert_eq!(client.encoding, Encoding::Utf8);
        assert!(client.document_changes && client.disabled_actions);
        assert!(client.markdown_hover && client.watches_files);
    }
}
