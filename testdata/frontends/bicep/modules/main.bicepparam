using 'main.bicep'

param access = 'Disabled'
