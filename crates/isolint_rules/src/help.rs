//! Help text in the syntax of the file a finding is in.

use isolint_model::Syntax;

/// What to write, once per syntax.
#[derive(Clone, Copy, Debug)]
pub struct Help {
    /// ARM JSON.
    pub arm: &'static str,
    /// Bicep.
    pub bicep: &'static str,
    /// Terraform with the azurerm provider.
    pub terraform: &'static str,
    /// Terraform with the azapi provider (an ARM body in HCL).
    pub azapi: &'static str,
}

impl Help {
    /// The text for `syntax`.
    pub fn for_syntax(&self, syntax: Syntax) -> &'static str {
        match syntax {
            Syntax::Arm => self.arm,
            Syntax::Bicep => self.bicep,
            Syntax::Terraform => self.terraform,
            Syntax::Azapi => self.azapi,
        }
    }
}
